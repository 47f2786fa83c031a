import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_OPTIONS, type AuthModuleOptions, resolveAuthOptions } from './auth-options';
import { JwtAuthGuard } from './guard/jwt-auth.guard';

/**
 * Bearer-token authentication and role/department authorisation for every
 * route of the app (global guard). Mark health, metrics, docs and static
 * routes `@Public()`. Tokens are verified against the trusted issuers'
 * public keys, or the shared secret of the embedded mode; fails at start-up
 * if neither is configured.
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      providers: [{ provide: AUTH_OPTIONS, useFactory: () => resolveAuthOptions(options) }, JwtAuthGuard, { provide: APP_GUARD, useExisting: JwtAuthGuard }],
      exports: [AUTH_OPTIONS, JwtAuthGuard],
    };
  }
}

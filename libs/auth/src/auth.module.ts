import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AUTH_OPTIONS, type AuthModuleOptions, resolveAuthOptions } from './auth-options';
import { JwtAuthGuard } from './guard/jwt-auth.guard';

/**
 * Bearer-token authentication and role/department authorisation for every
 * route of the app (global guard). Mark health, metrics, docs and static
 * routes `@Public()`. Fails at start-up if no JWT_SECRET / key is configured.
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      imports: [JwtModule.register({})],
      providers: [{ provide: AUTH_OPTIONS, useFactory: () => resolveAuthOptions(options) }, JwtAuthGuard, { provide: APP_GUARD, useExisting: JwtAuthGuard }],
      exports: [AUTH_OPTIONS, JwtAuthGuard],
    };
  }
}

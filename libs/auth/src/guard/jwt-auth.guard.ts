import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ForbiddenError } from '@city/eventsourcing';
import { PUBLIC_ROUTE } from '@city/observability';
import { type Actor, actorFromClaims, type Department, type Role } from '../actor';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../auth-options';
import { DEPARTMENT_KEY } from '../decorators/require-department.decorator';
import { ROLES_KEY } from '../decorators/roles.decorator';
import { assertCanIssueForDepartment } from '../access/organisation';
import { bearerTokenOf } from './bearer-token';
import { attachActor } from './request-actor';
import { unauthorized } from './unauthorized';

/**
 * Global guard (installed by AuthModule): every route needs a valid bearer
 * token unless marked `@Public()`; then `@Roles()` and `@RequireDepartment()`
 * are checked. Refusals leave as 401/403 with a `reason`; the CityErrorFilter
 * counts them in `city_auth_refusals_total{reason}` and logs them.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  /**
   * The key as a KeyObject, made once. Given a plain string, jsonwebtoken first
   * tries to parse it as a PEM public key on every verify, which throws and was
   * measured at ~0.35 ms per request (a fifth of the canvass service's CPU under load).
   */
  private readonly key: KeyObject;

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
  ) {
    this.key = options.algorithm === 'HS256' ? createSecretKey(Buffer.from(options.key, 'utf8')) : createPublicKey(options.key);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const token = bearerTokenOf(request.headers.authorization);
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      // A public route still learns who calls it when a valid token comes along.
      if (token)
        await this.verify(token).then(
          (actor) => attachActor(request, actor),
          () => undefined,
        );
      return true;
    }
    if (!token) throw unauthorized('missing_token', 'A bearer token is required (Authorization: Bearer <token>)');
    const actor = await this.verify(token);
    attachActor(request, actor);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && roles.length > 0 && !roles.includes(actor.role)) {
      throw new ForbiddenError(`Role ${actor.role} may not do this; allowed: ${roles.join(', ')}`, 'wrong_role');
    }
    const department = this.reflector.getAllAndOverride<Department | undefined>(DEPARTMENT_KEY, targets);
    if (department) assertCanIssueForDepartment(actor, department);
    return true;
  }

  /** Verifies signature, expiry, issuer and audience, then the shape of the claims. */
  async verify(token: string): Promise<Actor> {
    let claims: unknown;
    try {
      claims = await this.jwt.verifyAsync(token, {
        // @nestjs/jwt types keys as string | Buffer but hands them to jsonwebtoken, which takes a KeyObject.
        ...(this.options.algorithm === 'HS256' ? { secret: this.key as unknown as Buffer } : { publicKey: this.key as unknown as Buffer }),
        algorithms: [this.options.algorithm],
        issuer: this.options.issuer,
        audience: this.options.audience,
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TokenExpiredError') throw unauthorized('expired_token', 'The token has expired');
      const detail = error instanceof Error ? error.message : 'verification failed';
      throw unauthorized('invalid_token', `The token is not valid: ${detail}`);
    }
    const checked = actorFromClaims(claims);
    if (!checked.ok) throw unauthorized('invalid_claims', `The token's claims are not valid: ${checked.problem}`);
    return checked.actor;
  }
}

import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '@city/eventsourcing';
import { PUBLIC_ROUTE } from '@city/observability';
import type { Actor, Department, Role } from '../actor';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../auth-options';
import { DEPARTMENT_KEY } from '../decorators/require-department.decorator';
import { ROLES_KEY } from '../decorators/roles.decorator';
import { assertCanIssueForDepartment } from '../access/organisation';
import { bearerTokenOf } from './bearer-token';
import { TokenVerifier } from '../verification/token-verifier';
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
  private readonly verifier: TokenVerifier;

  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_OPTIONS) options: ResolvedAuthOptions,
  ) {
    this.verifier = new TokenVerifier(options);
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

  /** Verifies the token (see TokenVerifier) and returns its actor; refusals are 401 with a reason. */
  verify(token: string): Promise<Actor> {
    return this.verifier.verify(token);
  }
}

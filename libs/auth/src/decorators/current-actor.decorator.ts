import { createParamDecorator, type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { Actor } from '../actor';
import { actorOf } from '../guard/request-actor';

/**
 * The verified Actor of the request. On a `@Public()` route without a (valid)
 * token there is none, and the handler answers 401.
 */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = actorOf(context.switchToHttp().getRequest());
  if (!actor) {
    throw new UnauthorizedException({ statusCode: 401, error: 'unauthorized', reason: 'missing_token', message: 'A bearer token is required' });
  }
  return actor;
});

import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { HttpRequest } from '../http/http-types';
import { recordRouteTemplate } from './route-template';

/**
 * Records the matched route template for the HTTP duration histogram (see
 * `recordRouteTemplate`) and lets every request through. A guard rather than
 * an interceptor: with no interceptor at all, Nest calls the handler directly
 * instead of wrapping each request in observables, which on the command path
 * is a measurable share of a request's CPU.
 */
@Injectable()
export class RouteTemplateGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() === 'http') recordRouteTemplate(context.switchToHttp().getRequest<HttpRequest>());
    return true;
  }
}

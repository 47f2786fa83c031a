import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { HttpRequest } from '../http/http-types';
import { recordRouteTemplate } from './route-template';

/** Records the matched route template for the HTTP duration histogram (see `recordRouteTemplate`). */
@Injectable()
export class RouteTemplateInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') recordRouteTemplate(context.switchToHttp().getRequest<HttpRequest>());
    return next.handle();
  }
}

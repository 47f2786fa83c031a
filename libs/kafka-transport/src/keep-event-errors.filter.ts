import { Catch, type INestApplication, type RpcExceptionFilter } from '@nestjs/common';
import type { NestMicroservice } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import type { KafkaEventTransport } from './kafka-event-transport';

/**
 * Nest's default RPC exception filter logs a handler's error and replaces it
 * with `{ status: 'error', message: 'Internal server error' }`. The transport
 * needs the error itself: its type decides whether a retry can help (a
 * `CityError` is deterministic) and its message goes into the `dlq_error`
 * header. This filter hands it through unchanged.
 */
@Catch()
export class KeepEventErrorsFilter implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * `app.connectMicroservice({ strategy })` with `KeepEventErrorsFilter`;
 * `app.startAllMicroservices()` then starts it. Nest binds the handlers (and
 * their filters) inside `connectMicroservice` unless initialisation is
 * deferred, and a deferred microservice would run the app's init hooks a second
 * time; so this defers, adds the filter, and binds exactly as Nest would have.
 */
export function connectEventConsumer(app: INestApplication, strategy: KafkaEventTransport): NestMicroservice {
  const microservice = app.connectMicroservice({ strategy }, { deferInitialization: true }) as NestMicroservice;
  microservice.useGlobalFilters(new KeepEventErrorsFilter());
  microservice.registerListeners();
  microservice.setIsInitialized(true);
  microservice.setIsInitHookCalled(true);
  return microservice;
}

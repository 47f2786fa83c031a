import { Injectable } from '@nestjs/common';
import { currentCorrelationId } from './correlation-id';

/** Injectable face of `currentCorrelationId()` for code that prefers DI. */
@Injectable()
export class CorrelationIdService {
  /** The current request's correlation id; throws outside a request context. */
  get(): string {
    const id = currentCorrelationId();
    if (!id) throw new Error('No correlation id: not inside a request or runWithCorrelationId()');
    return id;
  }

  find(): string | undefined {
    return currentCorrelationId();
  }
}

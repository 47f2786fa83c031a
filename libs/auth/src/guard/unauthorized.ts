import { UnauthorizedException } from '@nestjs/common';
import type { RefusalReason } from '../refusal';

/** 401 with a machine-readable reason; the body passes through the CityErrorFilter unchanged. */
export function unauthorized(
  reason: Extract<RefusalReason, 'missing_token' | 'invalid_token' | 'expired_token' | 'invalid_claims'>,
  message: string,
): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, error: 'unauthorized', reason, message });
}

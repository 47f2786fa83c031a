import { Injectable, type PipeTransform } from '@nestjs/common';
import { isDistrictCode } from '@city/contracts';
import { ValidationError } from '@city/eventsourcing';

/** A path or query value that must be one of the 16 district codes (GB/T 2260); 400 otherwise. */
export function checkDistrictCode(value: unknown, field: string): string {
  if (typeof value === 'string' && isDistrictCode(value)) return value;
  throw new ValidationError(`${field} must be one of the 16 district codes (GB/T 2260, e.g. 310105), got ${JSON.stringify(value)}`, {
    [field]: ['must be one of the 16 district codes (GB/T 2260, e.g. 310105)'],
  });
}

@Injectable()
export class DistrictCodePipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return checkDistrictCode(value, 'code');
  }
}

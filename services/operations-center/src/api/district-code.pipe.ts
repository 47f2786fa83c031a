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

/** A subdistrict code is its district's 6 digits and 3 more (GB/T 10114 style, e.g. 310105001). */
export function checkSubdistrictCode(value: string, district: string | undefined): string {
  if (district === undefined) {
    throw new ValidationError('subdistrict needs its district', { district: ['is required with subdistrict'] });
  }
  if (!new RegExp(`^${district}\\d{3}$`).test(value)) {
    throw new ValidationError(`subdistrict must be a code of district ${district} (its 6 digits and 3 more), got ${JSON.stringify(value)}`, {
      subdistrict: [`must be a code of district ${district}, e.g. ${district}001`],
    });
  }
  return value;
}

@Injectable()
export class DistrictCodePipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return checkDistrictCode(value, 'code');
  }
}

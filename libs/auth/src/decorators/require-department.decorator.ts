import { SetMetadata } from '@nestjs/common';
import type { Department } from '../actor';

export const DEPARTMENT_KEY = 'city:department';

/**
 * Marks command endpoints of a department. A token with a `department` claim
 * for another department gets 403 `wrong_department`; tokens without one are
 * let through here and limited by the department's AccessPolicy in its
 * domain; a `department` role always carries the claim.
 */
export const RequireDepartment = (department: Department): MethodDecorator & ClassDecorator => SetMetadata(DEPARTMENT_KEY, department);

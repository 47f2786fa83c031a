import { SetMetadata } from '@nestjs/common';
import type { Role } from '../actor';

export const ROLES_KEY = 'city:roles';

/** Only these roles may call the route (or every route of the controller); others get 403 `wrong_role`. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

import type { Actor } from '../domain/command-context';

/** The service itself, for what it issues on its own: the seeded guidelines, escalations when an appeal is overdue. */
export const SERVICE_ACTOR: Actor = {
  sub: 'enterprise-reopening',
  role: 'department',
  department: 'enterprise-reopening',
  name: 'Enterprise reopening service',
};

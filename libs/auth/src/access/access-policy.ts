import { ForbiddenError, type AccessRefusalReason } from '@city/eventsourcing';
import type { Actor, Department, Role } from './actor';

/**
 * How far a role reaches when it does something:
 * - `city`: anywhere; a token that names a district is still held to it;
 * - `district`: in the district of its token;
 * - `subdistrict`: where it answers for the thing acted on, or in the
 *   subdistrict of its token (standing in for a colleague);
 * - `committee`: as `subdistrict`, but a token that names a residents'
 *   committee reaches only that committee (a grassroots worker of one
 *   committee); a token without one keeps its subdistrict's reach;
 * - `responsible`: only where it answers for the thing acted on.
 */
export type Reach = 'city' | 'district' | 'subdistrict' | 'committee' | 'responsible';

/** Which roles may do an action, and how far each reaches; a role not listed may not. */
export type Grants = Readonly<Partial<Record<Role, Reach>>>;

export interface ActionRule {
  /** Completes "Token for … may not <verb> district 310105" in refusals; default: the action's name. */
  readonly verb?: string;
  readonly grants: Grants;
}

export interface AccessRules<Action extends string> {
  /**
   * The department whose `department`-role tokens the grants are for: other
   * departments' tokens are refused `wrong_department`. Left out where every
   * department may (e.g. reading the city's figures).
   */
  readonly department?: Department;
  readonly actions: Readonly<Record<Action, ActionRule>>;
}

/** Where an action takes place. */
export interface AccessScope {
  /** District the data belongs to; left out for the whole city. */
  readonly district?: string;
  /** Subdistrict of the unit or area acted on, if it has one. */
  readonly subdistrict?: string;
  /** Residents' committee of the person or place acted on, if it has one (read by the `committee` reach). */
  readonly committee?: string;
  /** `sub` of the official who answers for it; null or left out when nobody does. */
  readonly responsible?: string | null;
}

/** How a permitted actor relates to what it acts on. */
export type Relation = 'responsible' | 'standing-in';

export type AccessDecision =
  { readonly allowed: true; readonly relation: Relation } | { readonly allowed: false; readonly reason: AccessRefusalReason; readonly message: string };

/**
 * The one place where "who may do what in which district" is decided. Each
 * department declares its own rules in its domain (a table of actions, roles
 * and reaches); this class applies them the same way everywhere, and refuses
 * with a `ForbiddenError` whose reason is counted by the HTTP layer. Pure and
 * framework-free: deciders call it with the actor of the command.
 */
export class AccessPolicy<Action extends string> {
  constructor(readonly rules: AccessRules<Action>) {}

  decide(action: Action, actor: Actor, scope: AccessScope = {}): AccessDecision {
    const rule = this.rules.actions[action];
    const verb = rule.verb ?? action;
    const department = this.rules.department;
    if (actor.role === 'department' && department !== undefined && actor.department !== department) {
      return refused('wrong_department', `Department ${actor.department ?? '(none)'} may not ${verb} ${department} data`);
    }
    const reach = rule.grants[actor.role];
    if (reach === undefined) return refused('wrong_role', `Role ${actor.role} may not ${verb} ${where(scope)}`);
    const answersForIt = scope.responsible != null && scope.responsible === actor.sub;
    // The official who answers for something may act on it wherever it is.
    if (answersForIt && (reach === 'subdistrict' || reach === 'committee' || reach === 'responsible')) return allowed('responsible');
    if (scope.district === undefined) {
      if (reach === 'city' && actor.district === undefined) return allowed('standing-in');
      return refused('other_district', `Token for ${who(actor)} may not ${verb} the whole city`);
    }
    if (actor.district !== undefined ? actor.district !== scope.district : reach !== 'city') {
      return refused('other_district', `Token for ${who(actor)} may not ${verb} ${where(scope)}`);
    }
    const relation: Relation = answersForIt ? 'responsible' : 'standing-in';
    if (reach === 'city' || reach === 'district') return allowed(relation);
    if (reach === 'committee' && actor.committee !== undefined) {
      if (actor.committee === scope.committee) return allowed(relation);
      return refused('other_committee', `Token for committee ${actor.committee} may not ${verb} ${where(scope)}`);
    }
    if (reach === 'committee' && actor.subdistrict !== undefined && actor.subdistrict === scope.subdistrict) return allowed(relation);
    if (reach === 'subdistrict' && actor.subdistrict !== undefined && actor.subdistrict === scope.subdistrict) return allowed(relation);
    return refused(
      'other_subdistrict',
      reach === 'responsible'
        ? `Token of ${actor.sub} may ${verb} only what it answers for`
        : `Token for subdistrict ${actor.subdistrict ?? '(none)'} may not ${verb} ${where(scope)}`,
    );
  }

  /** The roles granted the action: what a route's `@Roles` lets through to the policy, so the two never disagree. */
  rolesOf(action: Action): Role[] {
    return Object.keys(this.rules.actions[action].grants) as Role[];
  }

  allows(action: Action, actor: Actor, scope?: AccessScope): boolean {
    return this.decide(action, actor, scope).allowed;
  }

  /** Returns how the actor relates to what it acts on; throws a ForbiddenError naming the reason otherwise. */
  assert(action: Action, actor: Actor, scope?: AccessScope): Relation {
    const decision = this.decide(action, actor, scope);
    if (!decision.allowed) throw new ForbiddenError(decision.message, decision.reason);
    return decision.relation;
  }

  /** Districts in which the actor may do the action: `'all'` or its token's district (none if its role may not). Filters list queries. */
  districts(action: Action, actor: Actor): 'all' | readonly string[] {
    if (actor.district !== undefined) return this.allows(action, actor, { district: actor.district }) ? [actor.district] : [];
    return this.allows(action, actor) ? 'all' : [];
  }
}

function allowed(relation: Relation): AccessDecision {
  return { allowed: true, relation };
}

function refused(reason: AccessRefusalReason, message: string): AccessDecision {
  return { allowed: false, reason, message };
}

function who(actor: Actor): string {
  return actor.district !== undefined ? `district ${actor.district}` : actor.role;
}

function where(scope: AccessScope): string {
  if (scope.district === undefined) return 'the whole city';
  if (scope.committee !== undefined) return `committee ${scope.committee}`;
  return scope.subdistrict !== undefined ? `subdistrict ${scope.subdistrict}` : `district ${scope.district}`;
}

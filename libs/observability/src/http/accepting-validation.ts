import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { cityValidationPipe, registerAcceptance } from './validation-pipe';

// class-transformer's registry of @Type/@Transform/@Expose (the same module instance its plainToInstance reads; not in its index).
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadataStorage };

/**
 * The platform's ValidationPipe (class-transformer, then class-validator, building an error
 * tree) costs about as much CPU per registration as everything the service then does with
 * it, and a kiosk's batch runs it once per registration. Nearly every registration is valid,
 * so the valid ones take a shorter road: each DTO class is compiled once, from the same
 * class-validator metadata, into a plain walk over the parsed body that calls the very same
 * constraint functions (IsString, Matches, MaxLength, IsIn…, with the same arguments) and the
 * same whitelist of known properties. It only says yes or "not sure": a body it does not
 * accept goes through the platform's pipe as before, which answers the 400 with exactly the
 * `fields` it always gave (or accepts it: the walk never decides a refusal).
 *
 * It accepts only what the pipe accepts: JSON objects whose every key the DTO declares,
 * every constraint of every declared property holding (IsOptional's condition honoured),
 * nested DTOs recursively. What it does not model makes `compileAcceptance` throw at startup
 * rather than guess: validation groups, `always`, async constraints, @Allow, promises,
 * and class-transformer rules other than a plain @Type (@Transform, @Expose,
 * @Exclude, discriminators), which would make the pipe check another value than the body's.
 * A valid body is answered as the parsed JSON itself: the DTO instance the pipe would have
 * built holds the same values (without implicit conversion class-transformer copies strings,
 * numbers, booleans and arrays of them unchanged).
 */

/** Answers true only when the platform's ValidationPipe would accept `value` for the DTO it was compiled from. */
export type Acceptance = (value: unknown) => boolean;

type Constructor = new (...args: never[]) => object;

interface PropertyPlan {
  readonly name: string;
  readonly conditions: readonly ValidationMetadata[];
  readonly checks: readonly {
    readonly metadata: ValidationMetadata;
    /** A cheaper test that implies the constraint holds (see `sufficientTest`); its false only means asking the constraint. */
    readonly sufficient?: (value: unknown) => boolean;
    readonly validate: (value: unknown, args: ValidationArguments) => unknown;
    /** The arguments class-validator passes, made once: `object` and `value` are set before each (synchronous) call, sparing an allocation per check. */
    readonly args: { targetName: string; property: string; object: object; value: unknown; constraints: unknown[] };
  }[];
  readonly nested?: () => ClassPlan;
  /** `@ValidateNested({ each: true })`: an array of the nested DTO. */
  readonly nestedEach?: boolean;
}

interface ClassPlan {
  readonly target: Constructor;
  readonly known: ReadonlySet<string>;
  readonly properties: readonly PropertyPlan[];
}

const plans = new Map<Constructor, ClassPlan>();

function planOf(target: Constructor): ClassPlan {
  const known = plans.get(target);
  if (known) return known;
  const storage = getMetadataStorage();
  // The metadata class-validator's executor uses for an instance of `target` with no groups (the pipe sets none).
  const metadatas = storage.getTargetValidationMetadatas(target, undefined as unknown as string, false, false, undefined);
  if (metadatas.length === 0) throw new Error(`${target.name} has no validation metadata`);
  const byProperty = storage.groupByPropertyName(metadatas);
  const unsupported = (why: string) => new Error(`compileAcceptance(${target.name}): ${why}`);
  if (defaultMetadataStorage.getExposedMetadatas(target).length > 0 || defaultMetadataStorage.getExcludedMetadatas(target).length > 0) {
    throw unsupported('@Expose/@Exclude change what class-transformer builds');
  }
  const plan: ClassPlan = {
    target,
    known: new Set(Object.keys(byProperty)),
    properties: Object.entries(byProperty).map(([name, list]): PropertyPlan => {
      if (defaultMetadataStorage.findTransformMetadatas(target, name, 0 /* PLAIN_TO_CLASS */).length > 0) throw unsupported(`@Transform on ${name}`);
      const conditions: ValidationMetadata[] = [];
      const checks: PropertyPlan['checks'][number][] = [];
      let nested: PropertyPlan['nested'];
      let nestedEach = false;
      for (const metadata of list) {
        if (metadata.groups?.length || metadata.always !== undefined) throw unsupported(`groups or always on ${name}`);
        if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) conditions.push(metadata);
        else if (metadata.type === ValidationTypes.CUSTOM_VALIDATION || metadata.type === ValidationTypes.IS_DEFINED) {
          for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
            if (constraint.async) throw unsupported(`async constraint on ${name}`);
            const instance = constraint.instance;
            checks.push({
              metadata,
              sufficient: sufficientTest(metadata),
              validate: (value, args) => instance.validate(value, args),
              args: { targetName: target.name, property: name, object: {}, value: undefined, constraints: metadata.constraints },
            });
          }
        } else if (metadata.type === ValidationTypes.NESTED_VALIDATION) {
          nestedEach = metadata.each === true;
          const type = defaultMetadataStorage.findTypeMetadata(target, name);
          if (!type || type.options?.discriminator) throw unsupported(`nested ${name} without a plain @Type`);
          const nestedClass = type.typeFunction() as Constructor;
          nested = () => planOf(nestedClass);
        } else throw unsupported(`${metadata.type} on ${name}`);
      }
      return { name, conditions, checks, ...(nested ? { nested, nestedEach } : {}) };
    }),
  };
  plans.set(target, plan);
  // Compiles the nested classes now, so that an unsupported one fails at startup too.
  for (const p of plan.properties) p.nested?.();
  return plan;
}

/**
 * For the constraints every registration runs many times, a test without the allocations of
 * validator.js (MaxLength matches two global regular expressions to count surrogate pairs;
 * Matches calls `String.prototype.match`; IsIn builds a closure): true only when the
 * constraint holds. False asks the constraint itself, so a value is accepted exactly when before.
 */
function sufficientTest(metadata: ValidationMetadata): ((value: unknown) => boolean) | undefined {
  const [first, second] = (metadata.constraints ?? []) as unknown[];
  switch (metadata.name) {
    case 'isString':
      return (value) => typeof value === 'string';
    case 'maxLength': {
      // validator.js counts a surrogate pair or a presentation sequence as one character: never more than `length`.
      const max = first;
      return typeof max === 'number' ? (value) => typeof value === 'string' && value.length <= max : undefined;
    }
    case 'matches': {
      // validator.js compiles a string pattern with the modifiers, and takes a RegExp as it is.
      const pattern = first instanceof RegExp ? first : typeof first === 'string' ? new RegExp(first, second as string | undefined) : undefined;
      // Without g or y, `match` and `test` both search from the start and leave lastIndex alone.
      return pattern && !pattern.global && !pattern.sticky ? (value) => typeof value === 'string' && pattern.test(value) : undefined;
    }
    case 'isIn': {
      // isIn compares with ===: for a list of strings that is membership of the set (no NaN among them).
      const allowed = Array.isArray(first) && first.every((v) => typeof v === 'string') ? new Set<unknown>(first) : undefined;
      return allowed && ((value) => allowed.has(value));
    }
    default:
      return undefined;
  }
}

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** A plain object as JSON.parse makes them, of any realm (arrays, class instances, null-prototype objects and null are left to the pipe). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype !== null && Object.getPrototypeOf(prototype) === null;
}

function conditionsHold(conditions: readonly ValidationMetadata[], object: object, value: unknown): boolean {
  for (const c of conditions) if (!(c.constraints[0] as (o: object, v: unknown) => boolean)(object, value)) return false;
  return true;
}

function accepts(plan: ClassPlan, object: unknown): boolean {
  if (!isPlainObject(object)) return false;
  // forbidNonWhitelisted: any key the DTO does not declare (prototype keys included) is refused by the pipe.
  for (const key in object) if (hasOwn(object, key) && !plan.known.has(key)) return false;
  for (const property of plan.properties) {
    const value = hasOwn(object, property.name) ? object[property.name] : undefined;
    // IsOptional (ValidateIf): a property whose condition fails is not validated at all.
    if (!conditionsHold(property.conditions, object, value)) continue;
    for (const { metadata, sufficient, validate, args } of property.checks) {
      args.object = object;
      args.value = value;
      if (metadata.each && Array.isArray(value)) {
        for (const item of value) if (!sufficient?.(item) && validate(item, args) !== true) return false;
      } else if (!sufficient?.(value) && validate(value, args) !== true) return false;
    }
    if (property.nested && value !== undefined && !acceptsNested(property.nested(), value, property.nestedEach === true)) return false;
  }
  return true;
}

/** A nested DTO, or an array of them (anything else, e.g. a Map or Set class-validator would walk too, is left to the pipe). */
function acceptsNested(plan: ClassPlan, value: unknown, each: boolean): boolean {
  if (!each) return accepts(plan, value);
  if (!Array.isArray(value)) return false;
  for (const item of value) if (!accepts(plan, item)) return false;
  return true;
}

/** Compiles the acceptance walk of a DTO class (and its nested DTOs); throws if the DTO uses what the walk does not model. */
export function compileAcceptance(target: Constructor): Acceptance {
  const plan = planOf(target);
  return (value) => accepts(plan, value);
}

/**
 * A body pipe for `dto`: the body as parsed when the acceptance walk accepts it, else the
 * platform's ValidationPipe's answer (its 400 with `fields`, or its DTO instance). The
 * parameter's declared type must not be a class (an interface), so that the global pipe,
 * which runs first, only does its prototype-key check and leaves the body to this one.
 */
export class AcceptingValidationPipe implements PipeTransform {
  private readonly acceptance: Acceptance;
  private readonly pipe = cityValidationPipe();

  constructor(private readonly dto: Constructor) {
    this.acceptance = compileAcceptance(dto);
  }

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (this.acceptance(value)) return value;
    return this.pipe.transform(value, { ...metadata, metatype: this.dto as unknown as ArgumentMetadata['metatype'] });
  }
}

/**
 * The same shorter road inside the platform's global pipe, for a DTO that stays the parameter's declared type
 * (so Swagger documents it as before), e.g. route parameters: a value the walk accepts is answered as it is;
 * any other goes through class-transformer and class-validator exactly as before, so a refusal is the same 400
 * with the same `fields`, reached by the same steps (Nest validates a route's parameters concurrently, and the
 * first refusal answers). Only for DTOs whose handlers read plain values: the handler gets the parsed object,
 * not an instance (no methods, no property initialisers).
 */
export function acceptWhenValid(dto: Constructor): void {
  registerAcceptance(dto, compileAcceptance(dto));
}

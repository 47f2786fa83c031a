import { cityDayOf } from '@city/city-time';
import type { RegistrationChannel, TripMode } from '@city/contracts';
import { ValidationError } from '@city/eventsourcing';
import { travellerHealthAccess } from '../domain/access-policy';
import type { Checkpoint } from '../domain/checkpoint-registry.decider';
import type { DocumentKind } from '../domain/identity';
import { registrationProblems } from '../domain/registration-checks';
import type { RuleSet, Symptom } from '../domain/risk-rules';
import type { CheckpointCatalog } from './checkpoint-catalog';
import type { PersonalDataVault } from './personal-data-vault';
import { travellerIdOf } from './privacy-keys';
import { metadataOf, type RequestContext, type TravellerReceipt, type TravellerStreams } from './traveller-streams';

/** A registration as a phone or a kiosk sends it (the API's shape). */
export interface RegistrationInput {
  readonly registrationId: string;
  readonly checkpointId: string;
  readonly identity: { readonly name: string; readonly documentKind: DocumentKind; readonly documentNumber: string };
  readonly phone: string;
  readonly origin: { readonly provinceCode: string; readonly cityCode: string };
  readonly trip: { readonly mode: TripMode; readonly number?: string; readonly date: string };
  readonly destination: { readonly districtCode: string; readonly subdistrictCode: string; readonly committeeCode: string; readonly address: string };
  readonly declaration: {
    readonly temperatureC: number;
    readonly symptoms: readonly Symptom[];
    readonly contactWithCases: boolean;
    readonly keyAreaStays: readonly string[];
  };
}

/** What the traveller sees: their class with its reasons, and the receipt. */
export interface RegistrationReceipt extends TravellerReceipt {
  readonly registrationId: string;
  readonly riskClass: 'key' | 'general';
  readonly ruleSetVersion: string;
  readonly firedRules: readonly { readonly ruleId: string; readonly reason: string }[];
}

export interface RegistrationCommandsOptions {
  readonly streams: TravellerStreams;
  readonly checkpoints: CheckpointCatalog;
  readonly vault: PersonalDataVault;
  readonly travellerIdSecret: string;
  readonly ruleSet: RuleSet;
  readonly clock: () => Date;
}

/**
 * Registration at a checkpoint, the hot path: checks the declaration (400 naming each bad
 * field, nothing stored), derives the pseudonymous traveller id, seals the personal data in
 * the vault, and records the registration on the traveller's stream, classified by the rule set.
 */
export class RegistrationCommands {
  constructor(private readonly o: RegistrationCommandsOptions) {}

  async register(ctx: RequestContext, input: RegistrationInput, channel: RegistrationChannel): Promise<RegistrationReceipt> {
    const now = this.o.clock().toISOString();
    const checkpoint = await this.o.checkpoints.get(input.checkpointId);
    const problems = registrationProblems(
      {
        checkpointId: input.checkpointId,
        documentKind: input.identity.documentKind,
        documentNumber: input.identity.documentNumber,
        phone: input.phone,
        originProvinceCode: input.origin.provinceCode,
        originCityCode: input.origin.cityCode,
        tripDate: input.trip.date,
        destination: input.destination,
        temperatureC: input.declaration.temperatureC,
      },
      cityDayOf(now),
      checkpoint,
    );
    if (Object.keys(problems).length > 0 || !checkpoint) throw new ValidationError('The registration is not valid', problems);
    const travellerId = travellerIdOf(this.o.travellerIdSecret, input.identity.documentKind, input.identity.documentNumber);
    const { name, documentKind, documentNumber } = input.identity;
    const d = input.declaration;
    const declaration = { temperatureC: d.temperatureC, symptoms: d.symptoms, contactWithCases: d.contactWithCases, keyAreaStays: d.keyAreaStays };
    const { keyCreated } = await this.o.vault.store(travellerId, input.registrationId, {
      name,
      documentKind,
      documentNumber,
      phone: input.phone,
      address: input.destination.address,
      declaration,
    });
    const { districtCode, subdistrictCode, committeeCode } = input.destination;
    // A person whose data key this registration created is, but for an erased one coming back, new: their stream is not read first.
    const result = await this.o.streams.handle(
      ctx,
      {
        type: 'RegisterTraveller',
        data: {
          registrationId: input.registrationId,
          travellerId,
          channel,
          checkpoint,
          destination: { districtCode, subdistrictCode, committeeCode },
          tripMode: input.trip.mode,
          tripDate: input.trip.date,
          facts: {
            originProvinceCode: input.origin.provinceCode,
            originCityCode: input.origin.cityCode,
            temperatureC: d.temperatureC,
            symptoms: d.symptoms,
            contactWithCases: d.contactWithCases,
            keyAreaStays: d.keyAreaStays,
          },
          ruleSet: this.o.ruleSet,
        },
        metadata: { actor: ctx.actor, now },
      },
      { likelyNew: keyCreated },
    );
    // The traveller's latest classification (for a retry of an older registration, the newer one).
    const classified = result.state.lastRegistration;
    if (!classified) throw new Error(`Traveller ${travellerId} has no registration after registering`);
    // Written out rather than spread and extended (a V8 slow path, see registerTraveller); the keys in the same order.
    return {
      streamId: result.streamId,
      version: result.version,
      eventsAppended: result.eventsAppended,
      travellerId,
      registrationId: input.registrationId,
      riskClass: classified.riskClass,
      ruleSetVersion: classified.ruleSetVersion,
      firedRules: classified.firedRules,
    };
  }

  /** A kiosk's batch (up to 100): each registration answered on its own, as the single endpoint would. */
  registerBatch(ctx: RequestContext, inputs: readonly RegistrationInput[]): Promise<PromiseSettledResult<RegistrationReceipt>[]> {
    travellerHealthAccess.assert('registerAtKiosk', ctx.actor);
    return Promise.allSettled(inputs.map((input) => this.register(ctx, input, 'kiosk')));
  }

  async registerCheckpoint(
    ctx: RequestContext,
    checkpoint: Checkpoint,
  ): Promise<{ checkpointId: string; streamId: string; version: number; eventsAppended: number }> {
    const now = this.o.clock().toISOString();
    const receipt = await this.o.checkpoints.register(checkpoint, { actor: ctx.actor, now }, metadataOf(ctx)({ data: checkpoint }));
    return { checkpointId: checkpoint.checkpointId, ...receipt };
  }

  checkpointsList(): Promise<Checkpoint[]> {
    return this.o.checkpoints.all();
  }
}

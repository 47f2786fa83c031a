import { randomUUID } from 'node:crypto';
import type { RegistrationInput } from '../application/registration-commands';
import { residentIdCheckChar } from '../domain/identity';

/** A valid mainland resident ID number for a serial number (born 1985-06-15 in Changning). */
export function residentId(serial: number): string {
  const first17 = `31010519850615${String(serial % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** A valid registration at Hongqiao railway station, to Jiangsu Road (Changning); override what a test needs. */
export function registration(overrides: Partial<RegistrationInput> & { serial?: number } = {}): RegistrationInput {
  const { serial = 1, ...rest } = overrides;
  return {
    registrationId: randomUUID(),
    checkpointId: 'hongqiao-railway',
    identity: { name: '张三', documentKind: 'resident-id', documentNumber: residentId(serial) },
    phone: `1380013${String(8000 + serial).padStart(4, '0')}`,
    origin: { provinceCode: '320000', cityCode: '320100' },
    trip: { mode: 'train', number: 'G7001', date: '2020-02-12' },
    destination: {
      districtCode: '310105',
      subdistrictCode: '310105002',
      committeeCode: '310105002003',
      address: `Lane ${100 + serial}, Jiangsu Road, Room 201`,
    },
    declaration: { temperatureC: 36.6, symptoms: [], contactWithCases: false, keyAreaStays: [] },
    ...rest,
  };
}

/** A key person: stayed in Wuhan within 14 days (rule R2). */
export function keyPersonRegistration(serial: number): RegistrationInput {
  const r = registration({ serial });
  return { ...r, declaration: { ...r.declaration, keyAreaStays: ['420100'] } };
}

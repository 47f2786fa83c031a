import { AccessPolicy } from '@city/auth/access';

/**
 * Who may do what in traveller-health, where, declared for the city's one access
 * mechanism (AccessPolicy of @city/auth). Community workers are field officials of
 * traveller-health with their subdistrict in the token: a worker whose token also names a
 * residents' committee (`committee` claim) sees and acts only on the persons of that committee
 * (the `committee` reach); one without acts for every committee of their subdistrict.
 * Travellers themselves register without a token.
 */
export const travellerHealthAccess = new AccessPolicy({
  department: 'traveller-health',
  actions: {
    /** The city's checkpoints. */
    registerCheckpoints: { verb: 'register checkpoints in', grants: { department: 'city', 'city-center': 'city' } },
    /** A district's residents' committees and their subdistricts (reference data the registration page offers by name). */
    registerCommittees: { verb: "register residents' committees in", grants: { 'district-staff': 'district', department: 'city', 'city-center': 'city' } },
    /** Checkpoint kiosks sending registrations. */
    registerAtKiosk: { verb: 'send kiosk registrations for', grants: { department: 'city' } },
    /** Home observation: start, check-ins, flags, referrals, transfer. */
    observe: { verb: 'run home observation in', grants: { 'field-official': 'committee', 'district-staff': 'district', department: 'city' } },
    /** The work list and a traveller's pseudonymous record. */
    readWorkList: {
      verb: 'read the traveller work list of',
      grants: { 'field-official': 'committee', 'district-staff': 'district', department: 'city', 'city-center': 'city' },
    },
    /** A person's name and phone: recorded in the audit trail. */
    readPersonalData: {
      verb: 'read personal data of travellers in',
      grants: { 'field-official': 'committee', 'district-staff': 'district', department: 'city' },
    },
    /** Who read whose personal data. */
    readAuditTrail: { verb: 'read the personal-data audit trail of', grants: { 'district-staff': 'district', department: 'city', 'city-center': 'city' } },
    /** Dry runs of a rule set over the whole history (the city's health department). */
    replayRules: { verb: 'replay risk rules of', grants: { department: 'city' } },
    /** Destroying a person's data key. */
    erase: { verb: 'erase personal data in', grants: { department: 'city' } },
  },
});

export type TravellerHealthAction = keyof typeof travellerHealthAccess.rules.actions;

/** Where a person is, as the access policy sees it: district, subdistrict and residents' committee. */
export function placeScope(place: { readonly districtCode: string; readonly subdistrictCode: string; readonly committeeCode: string }) {
  return { district: place.districtCode, subdistrict: place.subdistrictCode, committee: place.committeeCode };
}

/** Injection tokens of the operations-center module. */
export const OPS_READ_DB = Symbol('OPS_READ_DB');
export const OPS_CLOCK = Symbol('OPS_CLOCK');
export const OPS_OPTIONS = Symbol('OPS_OPTIONS');

export type Clock = () => Date;

export * from './districts';
export * from './canvass';
export * from './topics';
export * from './schema-files';
export * from './event-catalog';
export * from './enterprise-reopening';
export * from './policy-relief';
export * from './traveller-health';

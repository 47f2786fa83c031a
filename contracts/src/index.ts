export * from './districts';
export * from './canvass';
export * from './cloudevents';
export * from './topics';
export * from './schema-registry';

export * from './districts';
export * from './canvass';

export { freePort } from '@city/testing';

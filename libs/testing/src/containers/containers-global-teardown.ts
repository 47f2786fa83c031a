import { teardown } from './containers-global-setup';

/** Jest global teardown under `CITY_TEST_INFRA=testcontainers` (see jest.config.js). */
export default teardown;

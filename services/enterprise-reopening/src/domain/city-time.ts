/** City days come from the one calendar of the platform (Asia/Shanghai). */
export { cityDayOf } from '@city/city-time';

/**
 * @city/city-time: calendar days and local timestamps of the city's time zone.
 * Framework-free: department domain code imports it.
 */
export { addDays, CITY_CALENDAR, cityCalendar, cityDayBounds, cityDayOf, cityTimestamp, daysEndingWith } from './city-calendar';
export type { CityCalendar } from './city-calendar';

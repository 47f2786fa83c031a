import { ConcurrencyError, ForbiddenError, NotFoundError, RuleViolationError, ValidationError } from '@city/eventsourcing';
import { BadRequestException } from '@nestjs/common';
import { sampleValue } from '@city/testing';
import { CityMetrics } from './city-metrics';
import { commandOutcomeOf } from './command-outcome';
import { createServiceRegistry } from './metrics-registry';

describe('CityMetrics', () => {
  it('keeps one registry per service, so two services live in one process', async () => {
    const a = new CityMetrics(createServiceRegistry('canvass'));
    const b = new CityMetrics(createServiceRegistry('operations-center'));
    a.recordEventsAppended(['UnitRegistered', 'UnitRegistered']);
    b.recordEventsAppended(['UnitRegistered']);
    expect(sampleValue(await a.metricsText(), 'city_events_appended_total', { service: 'canvass', type: 'UnitRegistered' })).toBe(2);
    expect(sampleValue(await b.metricsText(), 'city_events_appended_total', { service: 'operations-center', type: 'UnitRegistered' })).toBe(1);
  });

  it('times a command and counts its outcome, rethrowing the error', async () => {
    const metrics = new CityMetrics(createServiceRegistry('canvass'));
    await expect(metrics.timeCommand('RecordVisit', async () => 'ok')).resolves.toBe('ok');
    await expect(metrics.timeCommand('RecordVisit', () => Promise.reject(new ConcurrencyError('s', '1', 2)))).rejects.toThrow(ConcurrencyError);
    const text = await metrics.metricsText();
    const count = (outcome: string) => sampleValue(text, 'city_commands_total', { service: 'canvass', command: 'RecordVisit', outcome });
    expect([count('accepted'), count('conflict')]).toEqual([1, 1]);
    expect(sampleValue(text, 'city_command_duration_seconds_count', { service: 'canvass', command: 'RecordVisit' })).toBe(2);
  });

  it('exports the relay metrics only in a service that runs a relay', async () => {
    const operationsCenter = new CityMetrics(createServiceRegistry('operations-center'));
    expect(await operationsCenter.metricsText()).not.toMatch(/city_relay_/);
    const department = new CityMetrics(createServiceRegistry('canvass'));
    department.relayLagEvents.set(0);
    department.relayPublishedTotal.inc({ topic: 'canvass.events.v1' }, 3);
    const text = await department.metricsText();
    expect(sampleValue(text, 'city_relay_lag_events', { service: 'canvass' })).toBe(0);
    expect(sampleValue(text, 'city_relay_published_total', { service: 'canvass', topic: 'canvass.events.v1' })).toBe(3);
  });

  it.each([
    [new ValidationError('x'), 'rejected_invalid'],
    [new RuleViolationError('r', 'x'), 'rejected_rule'],
    [new ConcurrencyError('s', '1', 2), 'conflict'],
    [new ForbiddenError('x'), 'forbidden'],
    [new NotFoundError('x'), 'not_found'],
    [new BadRequestException('x'), 'rejected_invalid'],
    [new Error('boom'), 'error'],
  ])('classifies %p as %s', (error, outcome) => {
    expect(commandOutcomeOf(error)).toBe(outcome);
  });
});

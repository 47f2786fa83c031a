import { parseAnswer } from './socket-http';

const bytes = (s: string) => Buffer.from(s, 'latin1');

describe('socketHttpClient: parseAnswer', () => {
  it('reads a Content-Length answer and says how many bytes it used', () => {
    const answer = 'HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}';
    expect(parseAnswer(bytes(`${answer}HTTP/1.1`))).toEqual({ answer: { status: 201, body: '{"ok":true}' }, used: answer.length, keepAlive: true });
  });

  it('waits for the rest of a head or a body', () => {
    expect(parseAnswer(bytes('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n'))).toBeUndefined();
    expect(parseAnswer(bytes('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nabc'))).toBeUndefined();
  });

  it('reads a chunked answer, and an answer without a body', () => {
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n';
    expect(parseAnswer(bytes(chunked))).toEqual({ answer: { status: 200, body: 'abcde' }, used: chunked.length, keepAlive: true });
    expect(parseAnswer(bytes(chunked.slice(0, -2)))).toBeUndefined();
    expect(parseAnswer(bytes('HTTP/1.1 204 No Content\r\n\r\n'))?.answer).toEqual({ status: 204, body: '' });
  });

  it('closes after an answer that says so, and refuses what is not HTTP/1.x', () => {
    expect(parseAnswer(bytes('HTTP/1.1 400 Bad Request\r\nConnection: close\r\ncontent-length: 0\r\n\r\n'))?.keepAlive).toBe(false);
    expect(() => parseAnswer(bytes('SSH-2.0\r\n\r\n'))).toThrow(/not an HTTP/);
  });
});

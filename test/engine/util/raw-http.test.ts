import { describe, expect, it } from 'vitest';
import { parseRawRequest } from '../../../src/main/engine/util/raw-http';

describe('parseRawRequest', () => {
  it('reads CRLF requests and honours Content-Length', () => {
    const r = parseRawRequest(Buffer.from('POST /e/x?a=1 HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nX-A: 2\r\nContent-Length: 3\r\n\r\nabcdef'));
    expect(r).toMatchObject({ method: 'POST', path: '/e/x', query: 'a=1', httpVersion: '1.1' });
    expect(r.headers).toEqual([['Host', 'h'], ['X-A', '1'], ['X-A', '2'], ['Content-Length', '3']]);
    expect(r.body.toString()).toBe('abc');
  });

  it('accepts LF line endings, an absolute URL and no HTTP version', () => {
    const r = parseRawRequest(Buffer.from('POST https://api.example.com/hooks?x=y\nContent-Type: application/json\n\n{"a":1}\n'));
    expect(r).toMatchObject({ path: '/hooks', query: 'x=y', httpVersion: '1.1' });
    expect(r.body.toString()).toBe('{"a":1}\n');
  });

  it('decodes a chunked body and keeps binary bytes', () => {
    const head = Buffer.from('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n');
    const body = Buffer.concat([Buffer.from('3\r\n'), Buffer.from([0xff, 0x00, 0xfe]), Buffer.from('\r\n2\r\nok\r\n0\r\n\r\n')]);
    expect(parseRawRequest(Buffer.concat([head, body])).body).toEqual(Buffer.from([0xff, 0x00, 0xfe, 0x6f, 0x6b]));
  });

  it('says what is wrong with text that is not a request', () => {
    expect(() => parseRawRequest(Buffer.from('hello world'))).toThrow(/not an HTTP request line/);
    expect(() => parseRawRequest(Buffer.from('GET / HTTP/1.1\nno colon here\n\n'))).toThrow(/not a header line/);
  });
});

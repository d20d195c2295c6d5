import { describe, expect, it } from 'vitest';
import { signTc3 } from './tencent-tc3-signer';

describe('signTc3', () => {
  // The worked example of Tencent Cloud's "Signature v3" page (CVM DescribeInstances).
  it('reproduces the published example step by step', () => {
    const sut = signTc3(
      {
        host: 'cvm.tencentcloudapi.com',
        contentType: 'application/json; charset=utf-8',
        payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
        service: 'cvm',
        timestamp: 1551113065,
      },
      { secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' },
    );
    expect(sut.canonicalRequest).toBe(
      [
        'POST',
        '/',
        '',
        'content-type:application/json; charset=utf-8',
        'host:cvm.tencentcloudapi.com',
        '',
        'content-type;host',
        '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
      ].join('\n'),
    );
    expect(sut.stringToSign).toBe(
      [
        'TC3-HMAC-SHA256',
        '1551113065',
        '2019-02-25/cvm/tc3_request',
        '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
      ].join('\n'),
    );
    expect(sut.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(sut.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('takes the scope date from the UTC day of the timestamp, not the local one', () => {
    // 2019-02-26 00:44:25 in Beijing is still 2019-02-25 in UTC.
    const sut = signTc3(
      {
        host: 'sms.tencentcloudapi.com',
        contentType: 'application/json',
        payload: '{}',
        service: 'sms',
        timestamp: 1551113065,
      },
      { secretId: 'id', secretKey: 'key' },
    );
    expect(sut.authorization).toContain('Credential=id/2019-02-25/sms/tc3_request, SignedHeaders=content-type;host, ');
  });
});

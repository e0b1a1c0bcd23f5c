import { nativeBackendsConfig } from './topology';

describe('nativeBackendsConfig', () => {
  it('names one server per replica on its port, health-checked on /health/ready', () => {
    const config = nativeBackendsConfig(5000, [5100, 5101, 5102], 5200);
    expect(config).toContain('server users-1 127.0.0.1:5000 check');
    expect(config.match(/server timelines-\d+ 127\.0\.0\.1:\d+ check/g)).toEqual([
      'server timelines-1 127.0.0.1:5100 check',
      'server timelines-2 127.0.0.1:5101 check',
      'server timelines-3 127.0.0.1:5102 check',
    ]);
    expect(config).toContain('http-check send meth GET uri /health/ready');
    expect(config).toContain('balance roundrobin');
    expect(config).toContain('server monitor-1 127.0.0.1:5200 check');
  });
});

import { describe, expect, it } from 'vitest';
import { normalizeVmmanagerUrl } from './vmmanager6.url.js';

describe('normalizeVmmanagerUrl', () => {
  it.each([
    ['https://vm.example.com', 'https://vm.example.com'],
    ['https://vm.example.com/', 'https://vm.example.com'],
    ['https://vm.example.com/vm/v3', 'https://vm.example.com'],
    ['https://vm.example.com/vm/v3/', 'https://vm.example.com'],
    ['https://vm.example.com/auth/v4', 'https://vm.example.com'],
    ['https://vm.example.com/auth/v4/public/token', 'https://vm.example.com'],
    ['https://vm.example.com/vm/#/vm-list?page=2', 'https://vm.example.com'],
    ['https://VM.Example.com:443/VM/host/list#/x', 'https://vm.example.com'],
    ['  https://vm.example.com:1500/vm/v3/os?where=x  ', 'https://vm.example.com:1500'],
    ['http://10.0.0.5:8081//', 'http://10.0.0.5:8081'],
    ['https://proxy.example.com/vm6/vm/v3/', 'https://proxy.example.com/vm6'],
    ['https://proxy.example.com/api/vm/v3', 'https://proxy.example.com/api'],
    ['https://vm.example.com/#/login', 'https://vm.example.com'],
  ])('turns %s into %s', (pasted, base) => {
    expect(normalizeVmmanagerUrl(pasted)).toBe(base);
  });

  it('leaves what is not an http(s) URL for the URL checks to refuse', () => {
    expect(normalizeVmmanagerUrl('ftp://x/vm/v3')).toBe('ftp://x/vm/v3');
    expect(normalizeVmmanagerUrl('vm.example.com/vm/v3')).toBe('vm.example.com/vm/v3');
  });
});

import { describe, expect, it } from 'vitest';
import { compileWhere } from './sim-where.js';

const items = [
  { id: 1, name: 'Debian 12', repository: 'ISPsystem', clusters: [{ id: 1 }, { id: 2 }] },
  { id: 2, name: 'Ubuntu 22.04', repository: 'ISPsystem LXD', clusters: [{ id: 2 }] },
  { id: 3, name: "Bob's OS (test)", repository: 'ISPsystem', clusters: [] },
];

const ids = (raw: string): number[] => items.filter(compileWhere(raw)).map((item) => item.id);

describe('the simulator where filter', () => {
  it('matches one EQ condition with a quoted, percent-encoded value', () => {
    expect(ids("(name+EQ+'Debian%2012')")).toEqual([1]);
  });

  it('joins conditions with AND and OR, AND binding tighter', () => {
    expect(ids("((repository+EQ+'ISPsystem')+AND+(id+EQ+'1'))")).toEqual([1]);
    expect(ids("(id+EQ+'1')+OR+(id+EQ+'2')+AND+(name+EQ+'x')")).toEqual([1]);
    expect(ids("((id+EQ+'1')+OR+(id+EQ+'2'))")).toEqual([1, 2]);
  });

  it('follows dotted paths through arrays', () => {
    expect(ids('(clusters.id+EQ+2)')).toEqual([1, 2]);
  });

  it('supports NE and CP', () => {
    expect(ids("(repository+NE+'ISPsystem')")).toEqual([2]);
    expect(ids("(name+CP+'ubuntu')")).toEqual([2]);
  });

  it('decodes parentheses encoded inside a value; an encoded quote still ends the value', () => {
    expect(ids("(name+CP+'OS%20%28test%29')")).toEqual([3]);
    expect(() => compileWhere("(name+EQ+'Bob%27s%20OS')")).toThrow(/where/);
  });

  it("accepts syntax characters sent percent-encoded, as fetch and usaafko's client send them", () => {
    expect(ids('%28name+EQ+%27Debian%2012%27%29')).toEqual([1]);
    expect(() => compileWhere("(name+EQ+'x'")).toThrow(/'\)' expected/);
    expect(() => compileWhere('%E0%A4%A')).toThrow(/percent/);
  });
});

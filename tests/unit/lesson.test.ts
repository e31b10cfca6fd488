import { describe, expect, it } from 'vitest';
import { LESSON } from '../../src/core/lesson';
import { PANEL_IDS } from '../../src/core/panelIds';
import { applyPatch, PRESET_IDS, presetSettings } from '../../src/core/presets';
import { parseSettings, serializeSettings } from '../../src/core/urlSettings';
import { LESSON_TARGETS } from '../../src/ui/lessonTargets';

describe('the guided lesson', () => {
  it('has 8 to 14 steps with unique ids, a title and short paragraphs', () => {
    expect(LESSON.length).toBeGreaterThanOrEqual(8);
    // 14: the CLIP steps came after the contrastive ones.
    expect(LESSON.length).toBeLessThanOrEqual(14);
    expect(new Set(LESSON.map((s) => s.id)).size).toBe(LESSON.length);
    for (const s of LESSON) {
      expect(s.title.length).toBeGreaterThan(5);
      expect(s.body.length).toBeGreaterThan(0);
      // Readable from the back of a room: a few short paragraphs, not an essay.
      for (const p of s.body) expect(p.length).toBeLessThan(260);
      expect(s.body.join(' ').length).toBeLessThan(420);
    }
  });

  it('every step refers to existing presets and page targets', () => {
    for (const s of LESSON) {
      if (s.preset) expect(PRESET_IDS).toContain(s.preset);
      if (s.target) expect(PANEL_IDS).toContain(s.target);
      if (s.run) expect(['play', 'pause', 'step']).toContain(s.run);
    }
  });

  it('every panel has a selector string and a name on the page, and every question has an answer', () => {
    expect(Object.keys(LESSON_TARGETS).sort()).toEqual([...PANEL_IDS].sort());
    for (const t of Object.values(LESSON_TARGETS)) {
      expect(t.selector).toMatch(/^[.[#a-z]/);
      expect(t.name.length).toBeGreaterThan(3);
    }
    const asked = LESSON.filter((s) => s.question);
    expect(asked.length).toBeGreaterThanOrEqual(LESSON.length - 1);
    for (const s of asked) {
      expect(s.question!.prompt).toMatch(/\?$/);
      expect(s.question!.answer.length).toBeGreaterThan(30);
    }
  });

  it('every state a step sets is valid and survives the URL', () => {
    for (const s of LESSON.filter((x) => x.preset || x.settings)) {
      // A step's settings need a preset to apply to, or they would depend on where the class came from.
      expect(s.preset, s.id).toBeDefined();
      const state = applyPatch(presetSettings(s.preset!), s.settings ?? {});
      const r = parseSettings('', '#' + serializeSettings({ ...state, preset: '' }));
      expect(r.notices).toEqual([]);
      expect(parseSettings('', '#' + serializeSettings(state)).settings).toEqual(state);
    }
  });

  it('walks the topics in order: points, pairs, play, temperature, batch, collapse, augmentations, SupCon, kNN', () => {
    const ids = LESSON.map((s) => s.id);
    const order = ['points', 'pairs', 'play', 'temperature', 'batch', 'collapse', 'augment', 'supcon', 'knn'];
    const at = order.map((id) => ids.indexOf(id));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const presets = LESSON.map((s) => s.preset);
    for (const p of ['temperature', 'batch-size', 'collapse', 'augmentations', 'supcon'] as const)
      expect(presets).toContain(p);
    expect(LESSON.find((s) => s.id === 'temperature')!.target).toBe('effectiveNegatives');
    expect(LESSON.find((s) => s.id === 'knn')!.target).toBe('metrics');
  });
});

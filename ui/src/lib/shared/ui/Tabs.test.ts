import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet, flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import Tabs from './Tabs.svelte';

const panel = createRawSnippet((value: () => string) => ({ render: () => `<p>panel of ${value()}</p>` }));
const tabs = [
  { value: 'flags', label: 'Red flags' },
  { value: 'chpl', label: 'CHPL' },
  { value: 'countries', label: 'Country lists' },
];

function setup() {
  render(Tabs, { value: 'flags', tabs, label: 'Reference data', panel });
  return screen.getAllByRole('tab');
}

async function press(el: HTMLElement, key: string) {
  await fireEvent.keyDown(el, { key });
  flushSync();
}

describe('Tabs', () => {
  it('labels the tab list and ties each tab to its panel', () => {
    const [first] = setup();
    expect(screen.getByRole('tablist').getAttribute('aria-label')).toBe('Reference data');
    expect(first!.getAttribute('aria-selected')).toBe('true');
    const shown = screen.getByRole('tabpanel');
    expect(shown.textContent).toContain('panel of flags');
    expect(first!.getAttribute('aria-controls')).toBe(shown.id);
  });

  it('moves to the next tab with the right arrow and shows its panel', async () => {
    const [first, second] = setup();
    first!.focus();
    await press(first!, 'ArrowRight');
    expect(document.activeElement).toBe(second);
    expect(second!.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').textContent).toContain('panel of chpl');
  });

  it('goes to the last tab with End and back to the first with Home', async () => {
    const [first, , last] = setup();
    first!.focus();
    await press(first!, 'End');
    expect(document.activeElement).toBe(last);
    expect(last!.getAttribute('aria-selected')).toBe('true');
    await press(last!, 'Home');
    expect(document.activeElement).toBe(first);
    expect(first!.getAttribute('aria-selected')).toBe('true');
  });

  it('wraps from the first tab to the last with the left arrow', async () => {
    const [first, , last] = setup();
    first!.focus();
    await press(first!, 'ArrowLeft');
    expect(document.activeElement).toBe(last);
  });

  it('keeps only the selected tab in the tab order', () => {
    const [first, second, third] = setup();
    expect(first!.tabIndex).toBe(0);
    expect(second!.tabIndex).toBe(-1);
    expect(third!.tabIndex).toBe(-1);
  });
});

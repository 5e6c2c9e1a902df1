import { render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { describe, expect, it } from 'vitest';
import ListState from './ListState.svelte';

const rows = createRawSnippet(() => ({ render: () => '<p>rows</p>' }));

describe('ListState', () => {
  it('shows loading, then empty, then the rows', () => {
    const { rerender } = render(ListState, { loading: true, empty: true, children: rows });
    expect(screen.getByTestId('list-loading')).toBeTruthy();
    rerender({ loading: false, empty: true, children: rows, emptyText: 'No customers.' });
    expect(screen.getByText('No customers.')).toBeTruthy();
    rerender({ loading: false, empty: false, children: rows });
    expect(screen.getByText('rows')).toBeTruthy();
  });

  it('renders an error message as text, never as markup', () => {
    render(ListState, { loading: false, empty: true, error: '<img src=x onerror=alert(1)>', children: rows });
    expect(screen.getByTestId('list-error').textContent).toContain('<img src=x onerror=alert(1)>');
    expect(document.querySelector('img')).toBeNull();
  });
});

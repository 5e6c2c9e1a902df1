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

  it('takes loading, the error and retry from its loader', () => {
    let loads = 0;
    const of = { loading: false, error: { message: 'The database is locked.' }, load: () => (loads += 1) };
    render(ListState, { of, empty: true, children: rows });
    expect(screen.getByTestId('list-error').textContent).toContain('The database is locked.');
    screen.getByRole('button').click();
    expect(loads).toBe(1);
  });
});

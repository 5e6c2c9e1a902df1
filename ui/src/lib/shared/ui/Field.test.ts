import { render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { describe, expect, it } from 'vitest';
import Field from './Field.svelte';

const input = createRawSnippet(() => ({ render: () => '<input id="email" type="email" />' }));

describe('Field', () => {
  it('points its control at the error and marks it invalid', () => {
    render(Field, { id: 'email', label: 'Email', error: 'Not an email address', children: input });
    const control = screen.getByLabelText('Email');
    expect(control.getAttribute('aria-invalid')).toBe('true');
    const message = document.getElementById(control.getAttribute('aria-describedby')!);
    expect(message?.textContent).toBe('Not an email address');
  });

  it('describes its control with the hint while there is no error', () => {
    render(Field, { id: 'email', label: 'Email', hint: 'Work address', children: input });
    const control = screen.getByLabelText('Email');
    expect(control.getAttribute('aria-invalid')).toBe('false');
    expect(document.getElementById(control.getAttribute('aria-describedby')!)?.textContent).toBe('Work address');
  });

  it('drops the description once the error is fixed and there is no hint', async () => {
    const { rerender } = render(Field, { id: 'email', label: 'Email', error: 'Required', children: input });
    await rerender({ id: 'email', label: 'Email', error: null, children: input });
    const control = screen.getByLabelText('Email');
    expect(control.hasAttribute('aria-describedby')).toBe(false);
    expect(control.getAttribute('aria-invalid')).toBe('false');
  });
});

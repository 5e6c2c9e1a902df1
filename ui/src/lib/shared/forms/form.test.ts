import { describe, expect, it } from 'vitest';
import { AppError } from '$lib/api/errors';
import { Form } from './form.svelte';

function nameForm(values: { name: string }) {
  return new Form({
    validate: (): Record<string, string> => (values.name.trim() ? {} : { signatory_name: 'Signatory name is required.' }),
    labels: { signatory_name: 'Signatory name', 'follow_ups[].due_on': 'Follow-up {n}: due date' },
    keys: ['signatory_name', 'follow_ups[].due_on'],
  });
}

function editOf(field: string): Event {
  const root = document.createElement('div');
  root.setAttribute('data-field', field);
  const input = document.createElement('input');
  root.append(input);
  return { target: input } as unknown as Event;
}

describe('Form', () => {
  it('shows no problem before the first submit', () => {
    const form = nameForm({ name: '' });
    expect(form.errors).toEqual({});
  });

  it('shows every problem at once on submit and does not save', async () => {
    const values = { name: '' };
    const form = nameForm(values);
    let saved = false;
    expect(await form.submit(null, async () => void (saved = true))).toBe(false);
    expect(saved).toBe(false);
    expect(form.error('signatory_name')).toBe('Signatory name is required.');
  });

  it('clears a problem as soon as the field is fixed', async () => {
    const values = { name: '' };
    const form = nameForm(values);
    await form.submit(null, async () => {});
    values.name = 'Li Wei';
    expect(form.error('signatory_name')).toBeNull();
  });

  it('shows a field’s problem once the user has left it', () => {
    const form = nameForm({ name: '' });
    form.left(editOf('signatory_name') as FocusEvent);
    expect(form.error('signatory_name')).toBe('Signatory name is required.');
  });

  it('places the core’s refusal beside its field and drops it when that field is edited', async () => {
    const form = nameForm({ name: 'Li Wei' });
    const refused = new AppError('invalid', 'follow_ups[0].due_on: is before the visit', 'follow_ups[0].due_on');
    expect(await form.submit(null, () => Promise.reject(refused))).toBe(false);
    expect(form.error('follow_ups[0].due_on')).toBe('Follow-up 1: due date is before the visit.');
    form.edited(editOf('follow_ups[0].due_on'));
    expect(form.error('follow_ups[0].due_on')).toBeNull();
  });

  it('keeps a refusal about no field of the form above the buttons', async () => {
    const form = nameForm({ name: 'Li Wei' });
    await form.submit(null, () => Promise.reject(new AppError('forbidden', 'Only a manager may do this.')));
    expect(form.general).toBe('Only a manager may do this.');
  });

  it('is busy while the save runs, and not once it settled (saved or refused)', async () => {
    const form = nameForm({ name: 'Li Wei' });
    let finish: () => void = () => {};
    const saving = form.submit(null, () => new Promise<void>((resolve) => (finish = resolve)));
    await Promise.resolve();
    expect(form.busy).toBe(true);
    finish();
    expect(await saving).toBe(true);
    expect(form.busy).toBe(false);
    await form.submit(null, () => Promise.reject(new AppError('invalid', 'no')));
    expect(form.busy).toBe(false);
  });
});

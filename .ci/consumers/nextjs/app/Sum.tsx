'use client';
import { usePredict } from '@gradio-hooks/react';

export function Sum() {
  const { data, status, error } = usePredict<[number]>('/calculate', { args: { a: 4, b: 5 } });
  return <p id="client">{status === 'success' ? `client sum ${data?.[0]}` : status === 'error' ? `error ${error?.message}` : status}</p>;
}

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useJob, usePredict, type Job } from '@gradio-hooks/react';
import { Field, Panel, StatusBadge } from '../ui';

interface Message {
  id: number;
  prompt: string;
  job: Job<[string]>;
}

/**
 * Streaming: a chat-like view of the `/stream_text` generator (tokens appear as they arrive, Stop
 * cancels), and the growing outputs list of the `/count` generator.
 */
export function Streaming() {
  return (
    <Panel id="streaming" title="Streaming" uses="usePredict({ throttleMs }) · outputs" description="Generator endpoints: tokens appear as they are yielded; Stop cancels the stream.">
      <Chat />
      <Counter />
    </Panel>
  );
}

function Chat() {
  const [prompt, setPrompt] = useState('Tell me a story');
  const [tokens, setTokens] = useState('40');
  const [messages, setMessages] = useState<Message[]>([]);
  const next = useRef(1);
  const { submit, cancel, isPending, client } = usePredict<[string]>('/stream_text');
  const log = useRef<HTMLDivElement>(null);
  // Keep the newest tokens in view while they stream in.
  useEffect(() => {
    const el = log.current;
    if (!el) return;
    const follow = new MutationObserver(() => (el.scrollTop = el.scrollHeight));
    follow.observe(el, { childList: true, subtree: true, characterData: true });
    return () => follow.disconnect();
  }, []);

  const send = (e: FormEvent) => {
    e.preventDefault();
    if (!prompt.trim()) return;
    const job = submit({ prompt, n_tokens: Number(tokens) || 20, delay: 0.08 });
    setMessages((all) => [...all.slice(-3), { id: next.current++, prompt, job }]);
  };

  return (
    <div className="chat">
      <div className="chat-log" ref={log} data-testid="chat-log">
        {messages.length === 0 && <p className="empty">Send a prompt: the reply streams in token by token.</p>}
        {messages.map((m) => (
          <ChatTurn key={m.id} message={m} />
        ))}
      </div>
      <form className="chat-form" onSubmit={send}>
        <label className="sr-only" htmlFor="chat-prompt">
          Prompt
        </label>
        <input id="chat-prompt" value={prompt} onChange={(e) => setPrompt(e.target.value)} placeholder="Say something…" />
        <label className="sr-only" htmlFor="chat-tokens">
          Tokens
        </label>
        <input id="chat-tokens" className="narrow" type="number" min={1} max={500} value={tokens} onChange={(e) => setTokens(e.target.value)} title="Number of tokens" />
        {isPending ? (
          // distinct keys: the Send button must be a new element, or the click on Stop would submit the form
          <button key="stop" type="button" className="button danger" onClick={cancel} data-testid="chat-stop">
            Stop
          </button>
        ) : (
          <button key="send" type="submit" className="button primary" disabled={!client} data-testid="chat-send">
            Send
          </button>
        )}
      </form>
    </div>
  );
}

function ChatTurn({ message }: { message: Message }) {
  // Output-only updates re-render at most every 50 ms; status changes pass at once.
  const { data, outputs, status, error } = useJob(message.job, { throttleMs: 50 });
  const text = data?.[0] ?? '';
  const reply = text.startsWith(message.prompt) ? text.slice(message.prompt.length).trimStart() : text;
  return (
    <div className="turn">
      <p className="bubble user">{message.prompt}</p>
      <div className="bubble bot" data-testid="chat-reply" data-status={status} data-steps={outputs.length}>
        <p>
          <span data-testid="chat-reply-text">{reply}</span>
          {(status === 'streaming' || status === 'running' || status === 'queued') && <span className="caret" aria-hidden="true" />}
        </p>
        <footer>
          <StatusBadge status={status} />
          <span className="muted">{outputs.length} updates</span>
          {status === 'cancelled' && <span className="muted">stopped by you</span>}
          {error && status === 'error' && <span className="error-text">{error.message}</span>}
        </footer>
      </div>
    </div>
  );
}

function Counter() {
  const [n, setN] = useState('10');
  const { submit, outputs, status, isPending, cancel, client } = usePredict<[number]>('/count');
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.scrollTo({ left: list.current.scrollWidth });
  }, [outputs.length]);
  return (
    <div className="generator">
      <div className="generator-head">
        <h3>
          Generator outputs <code>/count</code>
        </h3>
        <StatusBadge status={status} testId="count-status" />
      </div>
      <div className="inline-form">
        <Field htmlFor="count-n" label="n">
          <input id="count-n" className="narrow" type="number" min={1} max={100} value={n} onChange={(e) => setN(e.target.value)} />
        </Field>
        {isPending ? (
          <button type="button" className="button danger" onClick={cancel}>
            Stop
          </button>
        ) : (
          <button type="button" className="button" disabled={!client} onClick={() => submit({ n: Number(n) || 5, delay: 0.25 })} data-testid="count-start">
            Count to {Number(n) || 5}
          </button>
        )}
      </div>
      <ol className="chips" ref={list} aria-label="Outputs of /count" data-testid="count-outputs">
        {outputs.map((o, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the outputs list only grows
          <li key={i} className="chip">
            {o[0]}
          </li>
        ))}
      </ol>
    </div>
  );
}

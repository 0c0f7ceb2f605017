"""Quality reports that reach the agencies: content, rendering (text, HTML, Word), messages, delivery.

`content` says what a report tells (pure); `render_*` lay it out; `message` builds the e-mail with
structured headers; `transport` delivers it (SMTP, or `.eml` files without a host); `dispatch`
drives the warehouse's outbox table (queue once per content, send what is due, retry with backoff).
"""

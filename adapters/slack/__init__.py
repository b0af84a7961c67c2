"""The Slack adapter: slack-bolt AsyncApp over HTTP, Block Kit out, neutral events in."""

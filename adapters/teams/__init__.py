"""Microsoft Teams: every botbuilder/botframework import lives in this package."""

"""The English rules as tables of regular expressions over a lower-cased sentence.

Each table is tried in the order `read.py` gives; "start" patterns are matched at the start
of the sentence and after a comma, colon, dash or bracket, "anywhere" patterns are searched.
"""

from __future__ import annotations

import re

from bot.coach.english.lexicon import IMPERATIVE_VERBS

Rules = tuple[tuple[str, re.Pattern[str]], ...]


def _table(**patterns: str) -> Rules:
    return tuple((name, re.compile(pattern)) for name, pattern in patterns.items())


PREAMBLE = re.compile(
    r"^(?:(?:ok(?:ay)?|so|and|but|right|well|hmm+|um+|uh+|er+|also|anyway|then|oh|ah|yes|"
    r"yeah|yep|no|sure|cool|wow|great point|good point|fair enough|i hear you|i see|"
    r"interesting|sorry to jump in|sorry|really|honestly|thanks|thank you|quick question|"
    r"just curious|out of interest|genuinely|actually|one more)\b[\s,.:;!-]*)+"
)
"""Interjections that open a sentence without changing what it does."""

CLAUSE_BREAK = re.compile(r"\s*(?:[,;:(]|\s-+\s|\.\.\.)\s*")

NEGATIVE_AUX = (
    r"(?:wouldn't|isn't|aren't|doesn't|don't|shouldn't|couldn't|can't|won't|mightn't|"
    r"oughtn't|hasn't|haven't|wasn't|weren't|didn't)"
)
SUBJECT = r"(?:you|u|it|that|this|there|the|your|we|they|he|she|a|an|i)"

LOGISTICS = _table(
    hear_see=r"\b(?:can|could) (?:everyone|everybody|you all|people|anyone|you|u) "
    r"(?:hear|see) (?:me|us|my|the|this|that)\b",
    line=r"\b(?:repeat|say) (?:that|it) again\b|\brepeat that\b|\bline (?:dropped|went)\b|"
    r"\bconnection\b|\bcamera\b|\bmute\b|\bunmute\b|\bfrozen\b|\blagging\b|\bcan't hear\b",
    reschedule=r"\b(?:move|reschedule|rearrange|push back) (?:the |our )?(?:next )?"
    r"(?:meeting|session|call)\b",
    turn=r"\bgo (?:first|next|last)\b|\bkeeping time\b|\btime ?keep",
    timing=r"\bare we (?:finishing|stopping|ending|starting|breaking|meeting|done)\b|"
    r"\b(?:finish|start|end) time\b",
    link=r"\blink (?:to|for)\b|\bthe link\b|\bminutes round\b|\b(?:send|sending|circulate)"
    r"(?: out| round)? the minutes\b",
    break_=r"\brecording\b|\b(?:a|one|five|ten|\d+)[- ]min(?:ute)? break\b|\btake a break\b|"
    r"\bwrong (?:thread|channel|chat)\b",
    leaving=r"\bi(?:'ll| will|'m going to| need to| have to| must| might)?(?: have to)? "
    r"(?:drop off|leave|head off|log off|jump off)\b",
    arriving=r"\b(?:i'm|i am|running) late\b|\bback now\b|\bi'm back\b|\bjust joined\b|"
    r"\bcatching up\b",
    session=r"\bbid for\b|\bon leave\b|\bmiss (?:a|the|next|this) (?:session|meeting)\b|"
    r"\bnext (?:session|meeting) is\b|\breminder\b",
)

ADVICE = _table(
    you_should=r"\byou(?:'d| would)? (?:\w+ly |just |really |still |totally )?"
    r"(?:should|need to|needs to|ought to|must|have to|'ve got to|got to|gotta|"
    r"could always|can always|might want to|may want to|'d better|had better|"
    r"'d be better off|would be better off|be better off|need)\b",
    in_my_place=r"\bif (?:i (?:were|was) you|(?:it|i) (?:were|was) me|i (?:were|was) in your "
    r"(?:shoes|position|place))\b|\bin your (?:shoes|position)\b",
    i_would=r"\bi(?:'d| would)\b(?! (?:like|love|be (?:happy|glad|interested|curious)|agree))",
    worked_for_us=r"\b(?:what|which|something that|the thing that|that's what) "
    r"(?:worked|works|helped) (?:for|with) (?:us|me)\b",
    what_we_did=r"^what (?:we|i) did\b|^what (?:you|u) (?:need|want) (?:is|to do)\b|"
    r"^all you (?:need|have) to\b",
    i_suggest=r"\b(?:in my experience|my advice|my suggestion|my tip|i suggest|i recommend|"
    r"i advise|personally,? i|my two cents)\b",
    worth=r"\b(?:it(?:'s| is|'d be| would be| might be| may be| could be| will be)|might be|"
    r"may be|probably) (?:well |definitely |really |always )?worth\b|^worth \w+ing\b",
    best_to=r"^(?:it(?:'s|'d| is| would| might| could| may| will)? (?:be |probably be |"
    r"definitely be |really be )?|(?:probably|definitely|maybe|perhaps|always) )?(?:best|better|"
    r"wise|wiser|sensible|smart|safer|a good idea|a better idea|helpful|useful) to\b"
    r"(?! (?:hear|know|understand|learn|listen)\b)",
    you_could=r"^(?:(?:maybe|perhaps|then|so|and|but|also|or) )?you (?:could|can|might|may) "
    r"(?:always |just |also |maybe |perhaps |easily |simply )?(?!be\b|feel\b|see\b|hear\b|"
    r"imagine\b|tell (?:us|me)\b|say (?:more|a bit)\b|share\b|not\b|have\b|find\b|"
    r"get (?:a|the) sense\b)[a-z]+\b",
    might_help=r"^(?:(?:one|a|another) (?:thing|idea|option|approach|step) (?:that|which) "
    r"(?:might|could|would|may|will|can) help|(?:it|this|that) (?:could|might|may|would|will) "
    r"help (?:to|if you)|(?:a|one|another) (?:good |useful |simple |better |practical )?"
    r"(?:approach|idea|tactic|strategy|option) (?:is|would be|might be|could be|here is))\b",
    maybe=r"^(?:maybe|perhaps|possibly) (?:you|try|start|just|ask|talk|get|go|consider|a|an|"
    r"the)\b",
    the_answer=r"^(?:the|my|our|one|a|another|your) (?:only |best |real |simplest |obvious |"
    r"easiest )?(?:answer|solution|trick|key|fix|way (?:to|forward|out|through)|best thing|"
    r"best way|best bet|option|good idea|better idea|thing to do|move)\b|"
    r"^(?:best|better|easiest|simplest) (?:to|thing|would be|bet)\b",
    your_position=r"\b(?:someone|anybody|anyone) in your (?:position|shoes|role)\b",
    war_story=r"\b(?:and|but) it (?:worked|helped|transformed|was fine|made (?:a|all the) "
    r"difference|did the trick|paid off)\b|\bworked (?:brilliantly|well|wonders|a treat|"
    r"for us|for me)\b|\b(?:we|i) (?:fixed|solved|sorted|cracked)\b|\btransformed things\b|"
    r"\bsorted (?:this|it) (?:for|out)\b|\bchanged how i saw\b",
)
"""Advice stated outright; only statements are searched (a question is read as one)."""

OPEN_INVITATION = _table(
    could_you_say=r"^(?:can|could|would|will) (?:you|u) (?:please )?(?:say|tell|describe|"
    r"walk|talk|explain|share (?:a (?:bit|little) )?more|share (?:with us )?(?:what|how|why|"
    r"your (?:thoughts|sense|view|experience|feelings))|expand|elaborate|unpack|"
    r"help (?:me|us) understand|take (?:us|me) through|"
    r"give (?:us|me) (?:an example|a sense|a picture))\b",
    tell_us=r"^(?:please |just |so |now )?(?:tell (?:us|me)|say (?:a (?:bit|little) )?more|"
    r"talk (?:us|me) through|walk (?:us|me) through|take (?:us|me) through|describe|explain|"
    r"expand|elaborate|unpack|help (?:me|us) understand|give (?:us|me) (?:an example|a sense|"
    r"a picture|a flavour|a flavor)|paint (?:us|me) a picture|share (?:a (?:bit|little) )?more|"
    r"share (?:with us )?(?:what|how|why|your (?:thoughts|sense|view|experience|feelings))|"
    r"fill (?:us|me) in)\b",
    curious=r"^i(?:'m| am)? (?:curious|wondering|wonder|interested)\b"
    r"(?! (?:if|whether) (?:you(?:'ve| have)? )?(?:thought|considered|tried|looked))",
    love_to_hear=r"^i(?:'d| would) (?:love|like) to (?:hear|know|understand)\b",
)

LEADING = _table(
    thought_about=r"^(?:have|had|did) (?:you|u) (?:\w+ )?(?:ever )?(?:thought|think|considered|"
    r"consider|tried|try|looked into|look into|explored|explore|checked out|weighed up)\b",
    why_dont=r"^(?:why|how come) (?:don't|do not|not|wouldn't|won't|haven't|hasn't|didn't|"
    r"can't|couldn't|aren't|isn't|shouldn't)\b",
    negative=rf"^{NEGATIVE_AUX} {SUBJECT}\b",
    is_it_not=r"^(?:is|would|does|do|are|could|can|should) (?:it|that|this|there|you|u|we) "
    r"not\b",
    what_if=r"^what if\b|^(?:what|how) about\b",
    could_you=r"^(?:could|can) (?:you|u|we) (?:\w+ )?(?:try|just|maybe|perhaps|not|possibly)\b"
    r"|^could (?:you|u|we)\b",
    could_it_be=r"^(?:could|might) (?:it|this|that|the \w+|the \w+ \w+) be\b",
    would_it_help=r"^would (?:it|that|this) (?:not )?(?:help|be|make|work|hurt|matter)\b|"
    r"^would (?:you|u) (?:\w+ )?(?:consider|think about|be open to|be willing to)\b|"
    r"^(?:would|will|could|might) (?:a|an|some|more|having|getting|asking|talking|taking)\b"
    r".*\bhelp\b",
    might=r"^might\b",
    is_it_worth=r"^is (?:it|this|that) (?:possible|worth|time|maybe|perhaps|better|wise|"
    r"sensible|fair to say)\b|^is (?:there|it) (?:any way|a way|a reason|no way|"
    r"something to be said)\b",
    real_problem=r"^(?:is|was) (?:the|your|it|this) (?:real|actual|underlying|true|bigger)\b",
    do_you_think=r"^do (?:you|u) (?:not )?think\b.*\b(?:should|shouldn't|might|could|would|"
    r"maybe|perhaps|need|needs|ought|better|time)\b",
    should_you=r"^should (?:you|u|we|the|your)\b",
    stopping_you=r"^what(?:'s| is) (?:stopping|preventing|holding) (?:you|u) (?:back )?from "
    r"just\b",
    what_would_happen=r"^what (?:would|will|might) happen if (?:you|u) (?!(?:did|do) nothing\b)",
    wonder_if=r"^i(?:'m| am)? (?:wonder|wondering|curious) (?:if|whether) (?:you(?:'ve| have)? )?"
    r"(?:thought|considered|tried|looked)\b",
)
"""Suggestions and opinions dressed as questions, whether or not they end in "?"."""

LEADING_WHEN_ASKED = _table(
    maybe=r"^(?:maybe|perhaps|possibly)\b",
    surely=r"\bsurely\b",
    just=r"^(?:do|does|did|is|are|was|were|has|have|can|could|will|would|should)\b.*\bjust\b",
)

CLOSED_WH = _table(
    quantity=r"^how (?:many|much|long|often|old|far|big|soon|large)\b",
    when=r"^when\b(?! (?:have|has) (?:you|u|the|your|they|we|it|things|people)\b)",
    where_is=r"^where(?:'s| is| are| was| were)\b",
    who_is=r"^who(?:'s| is| was| are| were) (?:your|the|their|his|her|in charge)\b",
    what_fact=r"^what(?:'s| is| was) the (?:name|date|deadline|number|budget|"
    r"cost(?! (?:of (?:\w+ing|not|saying|doing)|to|for (?:you|them|us|the team))\b)|title|size|"
    r"timeline|timescale)\b|^what (?:date|time|day|year|month|version|percentage|number)\b",
    which=r"^which\b(?!.*\b(?:you|your|u|ur)\b)(?! of\b| \w+s (?!(?:is|was) (?:it|that)\b))",
    who_does=r"^who (?:chairs|signs|manages|owns|runs|leads|heads|approves|funds|pays|"
    r"supervises|line-manages|holds|sits on|is responsible)\b",
)

OPEN_WH = _table(
    wh=r"^(?:what|how|why|who|whom|whose|where|which|in what|to what|in which|how come)\b",
    when_have=r"^when (?:have|has) (?:you|the|your|they|we|it|things|people)\b",
)

AUXILIARY = (
    r"(?:do|does|did|is|are|was|were|has|have|had|can|could|will|would|should|shall|may|am|"
    r"any|anyone|anybody|anything)"
)
CLOSED = _table(
    aux=rf"^{AUXILIARY}\b(?! (?:a|an|it|that|this|so) )(?! (?:do|go)\b)",
    is_it=r"^(?:is|was|does|did|has|will) (?:it|that|this) (?!\w+ing\b)\w+",
)

SHARE_FACT = re.compile(
    r"^(?:can|could|would|will) (?:you|u) (?:please )?(?:share|send|circulate|forward)\b"
)
"""A request for a document or a figure ("Can you share the slides?"): closed."""

IMPERATIVE = _table(
    imperative=r"^(?:(?:just|please|definitely|seriously|so|then|always|really) )*"
    r"(?:don't|do not|never|make sure|have a (?:look|go|think|word|chat|conversation)|"
    r"do (?:it|that|this)|" + "|".join(sorted(IMPERATIVE_VERBS)) + r")\b(?!')"
    r"(?! (?:us|me) (?:more|about|through|what|how))",
)
"""A statement opening with a verb recommends an action ("Escalate it.", "Just say no")."""

"""English function words: left out of term vectors and name detection."""

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves said says say told according new one two three four
five six seven eight nine ten first last year years week weeks day days monday tuesday wednesday
thursday friday saturday sunday today yesterday tomorrow mr mrs ms dr percent per cent may might
must shall would many much another since still however although though yet around among across
including include includes included people time times made make makes like well back even next
get got going go goes went come came see seen us u s news report reported reports reporting
january february march april june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
""".split())

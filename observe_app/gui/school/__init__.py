"""The School page: the peer-observation programme's coverage, the practice patterns it sees
(anonymised) and their impact over time, for a period and a scope."""

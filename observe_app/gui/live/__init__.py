"""The live observation: clock, note box, evidence log and the protocol panel."""

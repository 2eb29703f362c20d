"""After the lesson: the cycle view, rating, feedback and goals, the growth view and search."""

"""Understanding participants' questions and answering them from their own programme."""

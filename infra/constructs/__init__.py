"""One construct per capability; the stack composes them and owns the grants between them."""

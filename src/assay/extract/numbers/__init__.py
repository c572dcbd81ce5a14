"""Numbers: every number, quantity, amount of money, price and percent in a text, English and Chinese.

`read_quantities(text)` (reader) is the entry point. It builds on numerals in words (`english`, `chinese`),
the words around a number (`units`: currency, multiplier, unit), the joining of a number and its words
into a `Quantity` (`quantity_readings`) and whether a bare number is a label such as a year (`roles`).
"""

from assay.extract.numbers.reader import NumberRole, number_role, read_quantities

__all__ = ["NumberRole", "number_role", "read_quantities"]

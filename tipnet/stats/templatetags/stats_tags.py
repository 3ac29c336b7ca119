from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def with_cells(table):
    """The table with `rows_cells`: (row label pair, cells) for the template."""
    table.rows_cells = list(zip(table.rows, table.cells, strict=True))
    return table

"""Programme file format v1: validation, import with change detection, export."""

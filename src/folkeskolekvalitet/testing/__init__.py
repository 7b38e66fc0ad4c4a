"""Public Hypothesis strategies for every input frame of the library.

Downstream users can test their own code on the same kinds of data the library
is tested on. Requires Hypothesis (``pip install folkeskolekvalitet[testing]``).
The strategies wrap :func:`polars.testing.parametric.dataframes` with explicit
dtypes, no NaN and realistic sizes.
"""

from folkeskolekvalitet.testing.exams import broken_exam_grade_frames, exam_grade_frames

__all__ = ["broken_exam_grade_frames", "exam_grade_frames"]
